// What every metric in a report means, shown in the report itself.
export const METRIC_DEFINITIONS: [string, string][] = [
  ["Arithmetic intensity [FLOP/byte]", "An op's FLOPs (matrix plus vector) divided by the bytes it moves to and from main memory when it runs as its own kernel."],
  ["Ridge point", "A compute ceiling divided by the memory bandwidth: ops with a higher intensity can be compute bound, ops below it are memory bound."],
  ["Compute time", "Matrix FLOPs over the matrix ceiling of the weight dtype, plus vector FLOPs over the vector (VPU or CUDA-core) ceiling."],
  ["Memory time", "Bytes moved over the main-memory bandwidth (HBM or GDDR)."],
  ["Roofline time", "max(compute time, memory time) per op, a lower bound that assumes perfect overlap; a phase's time is the sum over its ops."],
  ["No-overlap bound", "compute time + memory time per op, summed: what the op costs if nothing overlaps. The bands in the latency charts span roofline to no-overlap."],
  ["Bound", "memory when an op's memory time exceeds its compute time; otherwise the unit (matrix or vector) that dominates its compute time. A phase's bound is the class holding most of its time."],
  ["Attained FLOP/s", "An op's FLOPs divided by its roofline time: where the op sits under the roofs."],
  ["Time to first token", "The roofline time of the prefill of the prompt, which also yields the first new token."],
  ["Time per token", "The roofline time of one decode step at the given context length (every sequence of the batch gets one token)."],
  ["Total generate time", "Prefill plus every decode step, each at its own context length: the global cache grows every step, the local one stops at the window."],
  ["Decode throughput [tokens/s]", "Batch size divided by the time of one decode step at the given context."],
  ["Cache per sequence", "The decode state of one sequence: RG-LRU state and Conv1D window per recurrent layer, SSM state and Conv1D window per Mamba or Mamba-2 layer, keys and values per attention layer (up to the window for local layers)."],
  ["Largest batch", "How many sequences' caches fit in main memory beside the weights (activation workspace not counted)."],
  ["Block type", "recurrent (RG-LRU block), local-attention, global-attention, mamba (Mamba block), mamba2 (Mamba-2 block), mlp, or other (embedding, final norm, LM head); the pre-norm and residual add of each sub-block count with it."],
];
