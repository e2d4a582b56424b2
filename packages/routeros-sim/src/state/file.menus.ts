// /file: the router's files. Rows are made by /tool/fetch (and by tests); the API can print,
// read `contents`, set `contents` and remove. RouterOS shows and edits contents only for files
// up to 60 KB (help.mikrotik.com, "Files"); larger files print without it.
import { readOnly, table, text, type Row } from './menu.schema.ts';
import type { RouterState } from './router.state.ts';

export const FILE_CONTENTS_LIMIT = 60 * 1024;

export const fileMenu = table(
  '/file',
  {
    name: readOnly(),
    type: readOnly('file'),
    size: readOnly('0'),
    'last-modified': readOnly(),
    contents: text(),
  },
  { verbs: ['print', 'getall', 'get', 'listen', 'set', 'remove'] },
);

/** RouterOS's `type` for a file name: ".html file", ".js file", "file" without an extension. */
export function fileType(name: string): string {
  const dot = name.lastIndexOf('.');
  const slash = name.lastIndexOf('/');
  return dot > slash + 1 ? `${name.slice(dot)} file` : 'file';
}

/** Creates or replaces a file (and its parent directories), as a download does. */
export function writeFile(state: RouterState, name: string, body: Buffer): Row {
  const parts = name.split('/');
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (!state.table('/file').findByName(dir))
      state.add('/file', { name: dir, type: 'directory', 'last-modified': now(state) });
  }
  const values: Row = {
    name,
    type: fileType(name),
    size: String(body.length),
    'last-modified': now(state),
    ...(body.length <= FILE_CONTENTS_LIMIT ? { contents: body.toString('latin1') } : {}),
  };
  const existing = state.table('/file').findByName(name)?.['.id'];
  if (existing) {
    state.update('/file', existing, values, body.length > FILE_CONTENTS_LIMIT ? { unset: ['contents'] } : {});
    return state.table('/file').get(existing) ?? values;
  }
  return state.add('/file', values);
}

const now = (state: RouterState) => state.fieldContext().formatDateTime(state.now());
