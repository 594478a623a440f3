/**
 * The JSON editor, loaded on first use: CodeMirror is a third of the renderer's code and the first screen
 * does not need it. Until it is there a placeholder of the same size stands in (nothing to type into yet).
 */
import { lazy, Suspense } from 'react';

const CodeMirrorJson = lazy(() => import('./CodeMirrorJson.tsx'));

type Props = { value: string; onChange: (v: string) => void; testId: string; height?: string; label: string };

export function JsonEditor(props: Props) {
  return (
    <Suspense
      fallback={
        <div className="json-editor loading-editor" data-testid={`${props.testId}-loading`} style={{ height: props.height ?? '120px' }}>
          Loading editor…
        </div>
      }
    >
      <CodeMirrorJson {...props} />
    </Suspense>
  );
}

export function jsonObjectError(text: string): string | null {
  if (text.trim() === '') return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? null : 'Must be a JSON object ({…})';
  } catch (e) {
    return (e as Error).message;
  }
}
