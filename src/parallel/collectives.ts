// Collectives as ops with their own records, timed with the α–β model: a collective of a buffer of
// S bytes over p chips takes (steps × α) + (bytes each chip sends ÷ the bandwidth it sends at),
// where α is the profile's latency per hop and the bandwidth is the link's, per direction.
//
//   ring all-reduce (reduce-scatter then all-gather): 2(p−1) steps, 2(p−1)/p · S sent per chip
//   ring all-gather or reduce-scatter: p−1 steps, (p−1)/p · S sent per chip
//   bidirectional ring (a torus axis with wraparound): half the buffer each way, so the same bytes
//     at twice the bandwidth, in ⌈(p−1)/2⌉ steps per pass
//   tree all-reduce (pipelined binary tree, up then down): 2⌈log₂ p⌉ steps, 2S sent per chip
//   in-switch all-reduce (NVLink SHARP, where the profile says the switch reduces): each chip
//     sends S up and receives the sum, 2 steps
//   all-to-all: each chip sends S/p to each other chip; on a torus axis the busiest link carries
//     S⌊p²/4⌋/(2p), through a switch each chip sends (p−1)/p · S at its injection bandwidth
//   switched or fully connected links: a ring at the chip's whole injection bandwidth
// The all-reduce takes the faster of ring and tree for its size; the record says which.
import { InputError } from "../errors.js";
import type { HardwareProfile } from "../hardware/schema.js";

export type CollectiveKind = "all-reduce" | "all-gather" | "reduce-scatter" | "all-to-all";
export type CollectiveAlgorithm = "ring" | "bidirectional-ring" | "tree" | "in-switch";

/** The path a group of chips communicates over, as the α–β model sees it. */
export interface CollectivePath {
  /** "ICI", "NVLink 4", "DCN", "PCIe". */
  link: string;
  scope: "scale-up" | "scale-out" | "host";
  /** What one chip sends at in one direction on this path, bytes/s. */
  bytesPerSecondPerDirection: number;
  /** 2 on a torus axis (a ring that sends both ways), 1 otherwise. */
  directions: 1 | 2;
  /** The switch sums what the chips send (NVLink SHARP): an all-reduce can send each byte once. */
  switchReduction?: boolean;
  latencySecondsPerHop: number;
  /** Why the bandwidth is what it is, for the output. */
  note: string;
}

/**
 * The path a group of `groupChips` chips takes, when the group's chips lie within
 * `spanChips` consecutive chips of the mesh (a tensor group spans itself; a data group spans the
 * whole mesh): the scale-up links within one domain, else the network between hosts.
 */
export function pathFor(profile: HardwareProfile, groupChips: number, spanChips: number): CollectivePath {
  const ici = profile.interconnect;
  const domain = ici?.maxDomainChips ?? Number.POSITIVE_INFINITY;
  if (ici && spanChips <= domain) {
    const link = ici.bytesPerSecondPerLinkPerDirection.value;
    const latencySecondsPerHop = ici.latencySecondsPerHop?.value ?? 0;
    const alpha = ici.latencySecondsPerHop ? "" : "; no latency per hop in the profile: bandwidth term only";
    switch (ici.topology) {
      case "torus-2d":
      case "torus-3d":
        return { link: ici.name, scope: "scale-up", bytesPerSecondPerDirection: link, directions: 2, latencySecondsPerHop, note: `bidirectional ring laid on the torus, one link each way, wraparound assumed (a full axis; without it a ring gets about half this bandwidth)${alpha}` };
      case "switched":
        return {
          link: ici.name, scope: "scale-up", bytesPerSecondPerDirection: link * ici.ports, directions: 1, latencySecondsPerHop,
          ...(ici.inNetworkReduction && { switchReduction: true }),
          note: `ring through the switch at ${ici.ports} links per chip${ici.inNetworkReduction ? "; all-reduce summed in the switch" : ""}${alpha}`,
        };
      case "point-to-point": {
        // Direct links, spread evenly over the domain's other chips (7 to 7 peers on an MI300X
        // board, 12 to the one peer of an H100 PCIe NVLink bridge): a group reaches its peers over theirs.
        const peers = Math.min(groupChips, Number.isFinite(domain) ? domain : groupChips) - 1;
        const linksPerPeer = Number.isFinite(domain) && domain > 1 ? Math.max(1, Math.floor(ici.ports / (domain - 1))) : 1;
        const links = Math.min(ici.ports, peers * linksPerPeer);
        return { link: ici.name, scope: "scale-up", bytesPerSecondPerDirection: link * links, directions: 1, latencySecondsPerHop, note: `direct links, ${links} to ${peers} peer(s)${alpha}` };
      }
    }
  }
  if (profile.network) {
    const net = profile.network;
    return {
      link: net.name, scope: "scale-out", bytesPerSecondPerDirection: net.bytesPerSecondPerChip.value, directions: 1,
      latencySecondsPerHop: net.latencySecondsPerHop?.value ?? 0,
      note: `across hosts, ${spanChips} chips exceed the ${ici ? `${domain}-chip ${ici.name} domain` : "one chip"}${net.latencySecondsPerHop ? "" : "; no latency per hop in the profile: bandwidth term only"}`,
    };
  }
  if (!ici && profile.host) {
    return {
      link: profile.host.name, scope: "host", bytesPerSecondPerDirection: profile.host.bytesPerSecondPerDirection.value, directions: 1,
      latencySecondsPerHop: 0, note: "no chip-to-chip link: through the host link; bandwidth term only",
    };
  }
  throw new InputError(
    `${profile.id}: ${spanChips} chips need ${ici ? `more than the ${domain}-chip ${ici.name} domain` : "a chip-to-chip link"}, and the profile gives no network between hosts (interconnect, network)`,
  );
}

export interface CollectiveTiming {
  algorithm: CollectiveAlgorithm;
  /** Steps of one collective, each paying α. */
  hops: number;
  /** Bytes one chip sends in one collective. */
  bytesSentPerChip: number;
  latencySeconds: number;
  bandwidthSeconds: number;
  seconds: number;
}

const timing = (algorithm: CollectiveAlgorithm, hops: number, bytesSentPerChip: number, bandwidthSeconds: number, path: CollectivePath): CollectiveTiming => {
  const latencySeconds = hops * path.latencySecondsPerHop;
  return { algorithm, hops, bytesSentPerChip, latencySeconds, bandwidthSeconds, seconds: latencySeconds + bandwidthSeconds };
};

/**
 * One collective of a buffer of `bytes` (per chip: the whole tensor, before scattering or after
 * gathering) over `chips` chips, by the fastest algorithm the path allows, or by `only` that one
 * (a measurement that names its algorithm).
 */
export function timeCollective(kind: CollectiveKind, bytes: number, chips: number, path: CollectivePath, only?: CollectiveAlgorithm): CollectiveTiming {
  const p = chips;
  const ringName: CollectiveAlgorithm = path.directions === 2 ? "bidirectional-ring" : "ring";
  if (p <= 1) return timing(ringName, 0, 0, 0, path);
  if (only !== undefined && kind !== "all-reduce" && only !== ringName) throw new InputError(`an ${kind} by ${only} is not modelled over ${path.link} (${ringName} only)`);
  const B = path.bytesPerSecondPerDirection;
  const each = path.directions * B; // bytes/s a chip sends, both directions together
  const passSteps = path.directions === 2 ? Math.ceil((p - 1) / 2) : p - 1;
  switch (kind) {
    case "all-gather":
    case "reduce-scatter": {
      const sent = ((p - 1) / p) * bytes;
      return timing(ringName, passSteps, sent, sent / each, path);
    }
    case "all-reduce": {
      const sent = (2 * (p - 1) / p) * bytes;
      const levels = Math.ceil(Math.log2(p));
      const candidates = [
        timing(ringName, 2 * passSteps, sent, sent / each, path),
        timing("tree", 2 * levels, 2 * bytes, (2 * bytes) / B, path),
        // In the switch: each chip sends its buffer up once and receives the sum back, two hops.
        ...(path.switchReduction ? [timing("in-switch", 2, bytes, bytes / B, path)] : []),
      ];
      if (only !== undefined) {
        const named = candidates.find((c) => c.algorithm === only);
        if (!named) throw new InputError(`an all-reduce by ${only} is not possible over ${path.link}`);
        return named;
      }
      return candidates.reduce((best, c) => (c.seconds < best.seconds ? c : best));
    }
    case "all-to-all": {
      const sent = ((p - 1) / p) * bytes;
      if (path.directions === 2) {
        const busiestLinkBytes = (bytes * Math.floor((p * p) / 4)) / (2 * p);
        return timing(ringName, Math.floor(p / 2), sent, busiestLinkBytes / B, path);
      }
      // Through a switch, direct links or the network, each chip's sends share its injection bandwidth.
      return timing(ringName, p - 1, sent, sent / B, path);
    }
  }
}

/** A collective in a phase: what it moves, where, how, and what it costs in all. */
export interface CollectiveRecord extends CollectiveTiming {
  name: string;
  kind: CollectiveKind;
  /** The mesh axis it runs over. */
  axis: "tensor" | "data";
  /** Where in the model (recurrent, mlp, …) or "gradients"/"parameters" for data parallelism. */
  block: string;
  pass?: "forward" | "backward" | "recompute" | "update";
  stage?: "prefill" | "decode";
  /** How many times it runs in the phase (layers × steps). */
  count: number;
  chips: number;
  /** Bytes of one collective's buffer. */
  bytes: number;
  link: string;
  scope: CollectivePath["scope"];
  bytesPerSecondPerDirection: number;
  latencySecondsPerHop: number;
  /** Over every run: count × one collective's time. */
  totalSeconds: number;
}

export interface CollectiveRequest {
  name: string;
  kind: CollectiveKind;
  axis: CollectiveRecord["axis"];
  block: string;
  pass?: CollectiveRecord["pass"];
  stage?: CollectiveRecord["stage"];
  count: number;
  bytes: number;
}

export function collective(request: CollectiveRequest, chips: number, path: CollectivePath): CollectiveRecord {
  const t = timeCollective(request.kind, request.bytes, chips, path);
  return {
    ...request, ...t, chips,
    link: path.link, scope: path.scope, bytesPerSecondPerDirection: path.bytesPerSecondPerDirection, latencySecondsPerHop: path.latencySecondsPerHop,
    totalSeconds: request.count * t.seconds,
  };
}
