/** CodeMirror 6 with JSON syntax and lint, fully offline. Loaded on first use (see JsonEditor.tsx). */
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter } from '@codemirror/lint';
import CodeMirror from '@uiw/react-codemirror';

const extensions = [json(), linter(jsonParseLinter()), lintGutter()];

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
  return (
    <div className="json-editor" data-testid={testId} aria-label={label}>
      <CodeMirror
        value={value}
        onChange={onChange}
        extensions={extensions}
        height={height}
        basicSetup={{ lineNumbers: false, foldGutter: false }}
      />
    </div>
  );
}
