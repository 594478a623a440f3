/** CodeMirror 6 with JSON syntax and lint, fully offline. Loaded on first use (see JsonEditor.tsx). */
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter } from '@codemirror/lint';
import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { useMemo } from 'react';
import { useColorScheme } from '../lib/theme.ts';

const lintJson = jsonParseLinter();
/** An empty editor is a valid "no metadata", not a JSON syntax error. */
const lintUnlessEmpty = (view: EditorView) => (view.state.doc.length === 0 ? [] : lintJson(view));

export default function CodeMirrorJson({
  value,
  onChange,
  testId,
  height = '120px',
  label,
}: {
  value: string;
  onChange: (v: string) => void;
  testId: string;
  height?: string;
  label: string;
}) {
  const scheme = useColorScheme();
  // The editable element itself carries the name (a screen reader announces it on focus).
  const extensions = useMemo(
    () => [json(), linter(lintUnlessEmpty), lintGutter(), EditorView.contentAttributes.of({ 'aria-label': label })],
    [label],
  );
  return (
    <div className="json-editor" data-testid={testId}>
      <CodeMirror
        value={value}
        onChange={onChange}
        theme={scheme}
        extensions={extensions}
        height={height}
        basicSetup={{ lineNumbers: false, foldGutter: false }}
      />
    </div>
  );
}
