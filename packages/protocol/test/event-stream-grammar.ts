import fc from 'fast-check';

/** How a field line is written: `name:value`, `name: value`, or a bare `name` (empty value). */
type FieldForm = 'colon' | 'colon-space' | 'bare';

/** One generated line, before rendering. */
export type StreamLine =
  | { kind: 'field'; name: string; form: FieldForm; value: string; eol: string }
  | { kind: 'comment'; value: string; eol: string }
  | { kind: 'blank'; eol: string };

/** A generated event stream. */
export interface GeneratedStream {
  /** The whole stream: optional BOM, the lines, then an optional unterminated last line. */
  text: string;
  /** Whether `text` starts with a BOM. */
  bom: boolean;
  /** The terminated lines, rendered (no BOM, no tail). */
  body: string;
  /** An unterminated final line (`''` when the stream ends with a line end). */
  tail: string;
  lines: StreamLine[];
}

// Characters that matter to the grammar (space, colon, NUL, BOM, tab, digits) and multi-byte ones:
// two-byte (é, и), three-byte (日, 本, 中) and four-byte (😀, 𝄞) UTF-8, the last two as surrogate pairs.
const valueUnit = fc.oneof(
  fc.constantFrom(' ', ':', '\0', '\uFEFF', '\t', 'é', 'и', '日', '本', '中', '😀', '𝄞', '0', '7', '-', '.'),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
);
const value = fc.string({ unit: valueUnit, maxLength: 8 });
const digits = fc.stringMatching(/^[0-9]{1,7}$/);
const eol = fc.constantFrom('\n', '\r', '\r\n');
// Known fields, and names that look like them but are not (the spec matches names exactly).
const fieldName = fc.oneof(
  { weight: 6, arbitrary: fc.constant('data') },
  { weight: 2, arbitrary: fc.constant('event') },
  { weight: 2, arbitrary: fc.constant('id') },
  { weight: 1, arbitrary: fc.constant('retry') },
  { weight: 1, arbitrary: fc.constantFrom('foo', 'Data', 'data ', ' id', 'eventx', 'retr', '日本') },
);

const fieldOrComment: fc.Arbitrary<StreamLine> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({
        name: fieldName,
        form: fc.constantFrom<FieldForm>('colon', 'colon-space', 'colon-space', 'bare'),
      })
      .chain(({ name, form }) =>
        fc.record({
          kind: fc.constant('field' as const),
          name: fc.constant(name),
          form: fc.constant(form),
          value: form === 'bare' ? fc.constant('') : name === 'retry' ? fc.oneof(digits, value) : value,
          eol,
        }),
      ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('comment' as const), value, eol }) },
);
const blank: fc.Arbitrary<StreamLine> = fc.record({ kind: fc.constant('blank' as const), eol });
// Mostly blocks ended by one blank line; some by none (two blocks merge) or by two.
const block = fc
  .tuple(fc.array(fieldOrComment, { minLength: 1, maxLength: 5 }), fc.array(blank, { maxLength: 2 }))
  .map(([fields, blanks]) => [...fields, ...blanks]);

function renderLine(line: StreamLine): string {
  if (line.kind === 'blank') return '';
  if (line.kind === 'comment') return `:${line.value}`;
  if (line.form === 'bare') return line.name;
  return `${line.name}${line.form === 'colon' ? ':' : ': '}${line.value}`;
}

/**
 * Random event streams from the grammar of the WHATWG "Server-sent events" section: data, event, id
 * and retry fields in every form, comments, unknown fields, blank lines; values with spaces, colons,
 * NUL, BOM and multi-byte characters; LF, CR and CRLF line ends; an optional leading BOM and an
 * optional unterminated last line.
 *
 * @param maxBlocks - the most blocks (up to five fields or comments and up to two blank lines each) @defaultValue 6
 */
export function eventStream(maxBlocks = 6): fc.Arbitrary<GeneratedStream> {
  return fc
    .record({
      bom: fc.boolean(),
      blocks: fc.array(block, { maxLength: maxBlocks }),
      tail: fc.oneof(fc.constant(''), fieldOrComment.map(renderLine)),
    })
    .map(({ bom, blocks, tail }) => {
      const lines = blocks.flat();
      let body = '';
      let previousEol = '';
      const fixed = lines.map((item) => {
        // A blank line ended by LF right after a CR would merge with it into one CRLF; keep it blank.
        const next =
          previousEol === '\r' && item.kind === 'blank' && item.eol === '\n'
            ? { ...item, eol: '\r\n' }
            : item;
        previousEol = next.eol;
        body += renderLine(next) + next.eol;
        return next;
      });
      return { text: `${bom ? '\uFEFF' : ''}${body}${tail}`, bom, body, tail, lines: fixed };
    });
}

/**
 * The `id` of every event the stream dispatches, by the spec's rules alone: an `id` field without
 * NUL sets the last event ID buffer; each blank line copies the buffer to the last event ID string,
 * which a dispatched event (one with data) carries. Computed from the generated lines, not by parsing.
 *
 * @param stream - a generated stream
 * @param initial - the last event ID before the stream @defaultValue `''`
 */
export function expectedEventIds(stream: GeneratedStream, initial = ''): string[] {
  let buffer = initial;
  let hasData = false;
  const ids: string[] = [];
  for (const item of stream.lines) {
    if (item.kind === 'blank') {
      if (hasData) ids.push(buffer);
      hasData = false;
    } else if (item.kind === 'field' && item.name === 'data') {
      hasData = true;
    } else if (item.kind === 'field' && item.name === 'id') {
      const written = item.form === 'bare' ? '' : `${item.form === 'colon-space' ? ' ' : ''}${item.value}`;
      const parsed = written.startsWith(' ') ? written.slice(1) : written;
      if (!parsed.includes('\0')) buffer = parsed;
    }
  }
  return ids;
}
