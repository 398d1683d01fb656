/**
 * Reads a stream to its end. (A reader loop rather than `for await`: TypeScript's DOM library
 * types, which this package compiles against, do not declare `ReadableStream` async-iterable.)
 *
 * @param stream - the stream to drain
 */
export async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const reader = stream.getReader();
  const items: T[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return items;
    items.push(value);
  }
}
