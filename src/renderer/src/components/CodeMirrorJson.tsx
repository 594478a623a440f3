/** CodeMirror 6 with JSON syntax and lint, fully offline. Loaded on first use (see JsonEditor.tsx). */
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter } from '@codemirror/lint';
import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { useMemo } from 'react';
import { useColorScheme } from '../lib/theme.ts';

const lintJson = jsonParseLinter();
/** CodeMirror's indent keys (Mod-]): Cmd on a Mac. */
const INDENT_KEYS = /Mac/i.test(navigator.platform) ? '⌘]' : 'Ctrl+]';
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
    () => [
      json(),
      linter(lintUnlessEmpty),
      lintGutter(),
      EditorView.contentAttributes.of({ 'aria-label': label, 'aria-describedby': `${testId}-keys` }),
    ],
    [label, testId],
  );
  return (
    <div className="json-editor" data-testid={testId}>
      {/* Tab moves focus on, as everywhere else in the window (WCAG 2.1.2); indenting has its own keys. */}
      <CodeMirror
        value={value}
        onChange={onChange}
        theme={scheme}
        extensions={extensions}
        height={height}
        indentWithTab={false}
        basicSetup={{ lineNumbers: false, foldGutter: false }}
      />
      <p className="json-keys-hint" id={`${testId}-keys`} data-testid="json-keys-hint">
        Tab moves on · {INDENT_KEYS} indents
      </p>
    </div>
  );
}
