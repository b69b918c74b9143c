// Where the package's own data lives, wherever it is installed. Compiled code sits in dist/src/.
import { fileURLToPath } from "node:url";
import path from "node:path";

export const packageRoot = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
export const hardwareProfilesDir = path.join(packageRoot, "hardware-profiles");
