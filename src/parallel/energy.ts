// Energy and cost per token: every chip of the mesh draws its profile's power for the phase's time,
// and is rented at a price per chip-hour. Power is the profile's figure (a TDP, or a measured
// maximum where that is what the profile gives): an upper bound on what the chips draw, since a
// memory-bound phase rarely reaches it. Where a mean power measured under load is published, the
// energy at that power is given beside it.
import type { HardwareProfile } from "../hardware/schema.js";

export interface EnergyAndCost {
  /** Watts per chip and where they came from; null when the profile gives no power. */
  wattsPerChip: number | null;
  powerSource: string | null;
  joules: number | null;
  joulesPerToken: number | null;
  tokensPerJoule: number | null;
  /** The same at a measured power where the profile has one (a published mean under load). */
  measuredWattsPerChip: number | null;
  joulesPerTokenAtMeasuredPower: number | null;
  dollarsPerChipHour: number | null;
  /** "--price-per-hour", or the profile's default with its date. */
  priceSource: string | null;
  dollarsPerMillionTokens: number | null;
}

const SECONDS_PER_HOUR = 3600;

export function energyAndCost(profile: HardwareProfile, chips: number, seconds: number, tokens: number, pricePerChipHour?: number): EnergyAndCost {
  const power = profile.powerWatts;
  const joules = power ? power.value * chips * seconds : null;
  const price = pricePerChipHour ?? profile.pricePerChipHour?.value ?? null;
  const priceSource = pricePerChipHour !== undefined ? "--price-per-hour"
    : profile.pricePerChipHour ? `${profile.id} profile, ${profile.pricePerChipHour.date} (${profile.pricePerChipHour.confidence})` : null;
  const dollars = price === null ? null : (price * chips * seconds) / SECONDS_PER_HOUR;
  const measured = profile.measuredPowerWatts;
  return {
    measuredWattsPerChip: measured?.value ?? null,
    joulesPerTokenAtMeasuredPower: measured && tokens > 0 ? (measured.value * chips * seconds) / tokens : null,
    wattsPerChip: power?.value ?? null,
    powerSource: power ? `${profile.id} profile (${power.confidence}${power.note ? `: ${power.note}` : ""})` : null,
    joules,
    joulesPerToken: joules === null || tokens === 0 ? null : joules / tokens,
    tokensPerJoule: joules === null || joules === 0 ? null : tokens / joules,
    dollarsPerChipHour: price,
    priceSource,
    dollarsPerMillionTokens: dollars === null || tokens === 0 ? null : (dollars / tokens) * 1e6,
  };
}
