// How many rows a command lists one by one. Past this a table is no longer read, only scrolled,
// and cli-table3 lays out every cell at once (a million rows overflow its stack): larger inputs
// get their summary alone. README.md states the limit.
export const PER_ROW_TABLE_LIMIT = 1000;

/** The line that replaces a table too long to print. */
export const tableLeftOut = (rows: number, what: string, instead: string) =>
  `${rows.toLocaleString("en-US")} ${what}: more than ${PER_ROW_TABLE_LIMIT.toLocaleString("en-US")}, so they are not listed one by one; ${instead}.`;
