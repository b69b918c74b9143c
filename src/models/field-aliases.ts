// The short names `--set` knows the most overridden model fields by, apart from the overrides
// themselves so that labelling a derived model (./derived.ts) needs no schema.
/** Short names for the fields people override most; any dotted path also works. */
export const FIELD_ALIASES: Record<string, string> = {
  window: "attention.window",
  heads: "attention.heads",
  kvHeads: "attention.kvHeads",
  headDim: "attention.headDim",
  rnnWidth: "recurrent.width",
  convWidth: "recurrent.convWidth",
  gateBlocks: "recurrent.gateBlocks",
  mlpWidth: "mlp.hiddenWidth",
  vocab: "vocabSize",
};
