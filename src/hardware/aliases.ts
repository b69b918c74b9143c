// From the name a publication gives a chip to a bundled profile id, through the `aliases` (and
// `name`, `deviceNames`) of every bundled profile: data, not patterns in code.
import { InputError } from "../errors.js";
import { bundledProfileIds, loadProfile } from "./load.js";

const normalize = (name: string) => name.trim().toLowerCase().replace(/\s+/g, " ");

let table: Map<string, string> | undefined;

function aliasTable(): Map<string, string> {
  if (table) return table;
  table = new Map();
  for (const id of bundledProfileIds()) {
    const profile = loadProfile(id);
    for (const name of [id, profile.name, ...(profile.deviceNames ?? []), ...(profile.aliases ?? [])]) {
      const key = normalize(name);
      const other = table.get(key);
      if (other && other !== id) throw new InputError(`hardware profiles ${other} and ${id} both claim the name "${name}"`);
      table.set(key, id);
    }
  }
  return table;
}

/** The profile id a chip name stands for, or undefined when no profile claims it. */
export function profileIdForName(name: string): string | undefined {
  return aliasTable().get(normalize(name));
}
