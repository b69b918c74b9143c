// Hugging Face configurations (`--model config.json` or a folder holding one): wrong types and
// sizes, unknown model types and fields, cost-changing fields the model cannot express, broken
// files. Each is refused naming the file and the field; the seed itself is accepted.
import { ITEMS, type FuzzCase } from "../case.js";
import { fieldCases, textCases, valuesAt, type FieldMutation } from "../builders.js";
import { jsonText, raw, truncated } from "../mutate.js";
import { MODEL_READERS } from "./models.js";

const FILE = "config.json";

/** The model readers but `check`, whose budget names the model file models.ts writes. */
const READERS = MODEL_READERS.filter((reader) => reader.files === undefined);

/** A small Llama configuration, with the fields transformers writes. */
const SEED = {
  architectures: ["LlamaForCausalLM"], bos_token_id: 1, eos_token_id: 2, hidden_act: "silu", hidden_size: 512,
  intermediate_size: 1376, max_position_embeddings: 2048, model_type: "llama", num_attention_heads: 8,
  num_hidden_layers: 4, num_key_value_heads: 8, rms_norm_eps: 1e-5, tie_word_embeddings: false,
  torch_dtype: "bfloat16", transformers_version: "4.40.0", vocab_size: 32000,
};

const MUTATIONS: FieldMutation[] = [
  ...valuesAt(["hidden_size"], [["0", 0], ['"512"', "512"], ["-1", -1], ["1e400", raw("1e400")]]),
  ...valuesAt(["num_hidden_layers"], [["1e15", 1e15]], ITEMS.magnitudes).map((m) => ({ ...m, detail: /depth/ })),
  ...valuesAt(["num_key_value_heads"], [["3 (does not divide 8 heads)", 3]]).map((m) => ({ ...m, detail: /kvHeads/ })),
  ...valuesAt(["model_type"], [['"mixtral"', "mixtral"], ["5", 5]]),
  ...valuesAt(["hidden_act"], [['"relu"', "relu"]]),
  { path: ["num_local_experts"], label: "8 (an unknown field)", value: 8, add: true },
];

const seedText = jsonText(SEED);
const TEXTS: [string, string][] = [
  ["cut in half", truncated(seedText, 0.5)],
  ["with a trailing comma", seedText.replace(/\n}\n$/, ",\n}\n")],
];

export function hfConfigCases(): FuzzCase[] {
  return [
    ...fieldCases("hf config", ITEMS.models, FILE, SEED, READERS, MUTATIONS),
    ...textCases("hf config", ITEMS.models, FILE, TEXTS, READERS),
    {
      name: "hf config: the seed is accepted", item: ITEMS.models, expect: "accepted",
      files: { [FILE]: seedText }, args: ["--model", FILE, "--hw", "h200", "--phase", "decode"],
    },
  ];
}
