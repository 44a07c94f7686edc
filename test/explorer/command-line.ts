/** The page's command line (`scaling-dmft curve ...`) back to argv: its words are plain or single-quoted (state.ts shellWord). */
export function argvOf(command: string): string[] {
  const words = command.match(/'(?:[^']|'\\'')*'|\S+/g) ?? [];
  return words.slice(1).map((w) => (w.startsWith("'") ? w.slice(1, -1).replace(/'\\''/g, "'") : w));
}
