/** A screen's heading, with its one main action (e.g. "New product") at the end of the row when the role may take it. */
export function TitleRow({ id, title, action }: { id: string; title: string; action?: { label: string; run: () => void } | false | undefined }) {
  return (
    <div class="title-row">
      <h1 id={id}>{title}</h1>
      {action && (
        <button type="button" class="primary" onClick={action.run}>
          {action.label}
        </button>
      )}
    </div>
  );
}
