/**
 * Where each value of a JSON text starts, by path (`Statement.0.Effect`), so the policy editor can show
 * the API's validation errors at the line they are about. A small scanner over the text itself: it
 * tolerates nothing JSON.parse would not, and answers only for text that parses.
 */
export function jsonValueLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let index = 0;
  let line = 1;
  const skip = () => {
    while (index < text.length && /\s/.test(text[index] as string)) {
      if (text[index] === '\n') line++;
      index++;
    }
  };
  const readString = (): string => {
    const start = index;
    index++;
    while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
    index++;
    return JSON.parse(text.slice(start, index)) as string;
  };
  const value = (path: string[]) => {
    skip();
    lines.set(path.join('.'), line);
    const char = text[index];
    if (char === '{') {
      index++;
      skip();
      if (text[index] === '}') {
        index++;
        return;
      }
      for (;;) {
        skip();
        const key = readString();
        skip();
        index++; // :
        value([...path, key]);
        skip();
        if (text[index] === ',') {
          index++;
          continue;
        }
        index++; // }
        return;
      }
    }
    if (char === '[') {
      index++;
      skip();
      if (text[index] === ']') {
        index++;
        return;
      }
      for (let item = 0; ; item++) {
        value([...path, String(item)]);
        skip();
        if (text[index] === ',') {
          index++;
          continue;
        }
        index++; // ]
        return;
      }
    }
    if (char === '"') {
      readString();
      return;
    }
    while (index < text.length && !/[\s,\]}]/.test(text[index] as string)) index++;
  };
  try {
    JSON.parse(text);
    value([]);
  } catch {
    return new Map();
  }
  return lines;
}

/** The line of the deepest path prefix that exists (an error about a missing key points at its object). */
export function lineOfPath(lines: Map<string, number>, path: string): number | undefined {
  const parts = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  for (let length = parts.length; length >= 0; length--) {
    const found = lines.get(parts.slice(0, length).join('.'));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Where JSON.parse gave up, as a line number, for a syntax error shown at its line. */
export function syntaxErrorLine(text: string, error: unknown): number | undefined {
  const match = /position (\d+)/.exec(String((error as Error)?.message ?? ''));
  if (!match) {
    const lineMatch = /line (\d+)/.exec(String((error as Error)?.message ?? ''));
    return lineMatch ? Number(lineMatch[1]) : undefined;
  }
  return text.slice(0, Number(match[1])).split('\n').length;
}
