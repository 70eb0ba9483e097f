import { Alert, Button, EmptyState, ErrorState, LoadingSpinner, Text } from "@hubspot/ui-extensions";
import type { Action } from "./use-load.ts";

/** The card's loading state. */
export function Loading({ label, testId }: { label: string; testId: string }) {
  return <LoadingSpinner label={label} showLabel layout="centered" testId={testId} />;
}

/** The card's error state, with the Worker's message and a retry. */
export function LoadError({ title, message, testId, onRetry }: { title: string; message: string; testId: string; onRetry: () => void }) {
  return (
    <ErrorState title={title} testId={testId}>
      <Text>{message}</Text>
      <Button size="sm" onClick={onRetry} testId={`${testId}-retry`}>
        Try again
      </Button>
    </ErrorState>
  );
}

/** The card's empty state. */
export function Empty({ title, children, testId }: { title: string; children: string; testId: string }) {
  return (
    <EmptyState title={title} layout="vertical" imageWidth={80} testId={testId}>
      <Text>{children}</Text>
    </EmptyState>
  );
}

/** Says the automation only records what it would do, and why. */
export function ObserveNotice({ what, reason, testId }: { what: string; reason: string | null; testId: string }) {
  return (
    <Alert title="Observe-only" variant="info" testId={testId}>
      {`${what}${reason ? `: ${reason}` : ""}. Nothing changes automatically until an admin turns it on.`}
    </Alert>
  );
}

/** Says why the buttons are missing: this user may not press them. */
export function NoPermission({ action, testId }: { action: string; testId: string }) {
  return (
    <Text variant="microcopy" testId={testId}>
      {`You can see this, but only users an admin allows can ${action}.`}
    </Text>
  );
}

/** The outcome of the last button press, if any. */
export function ActionOutcome({ action, testId }: { action: Action; testId: string }) {
  if (action.status === "done")
    return (
      <Alert title="Done" variant="success" testId={testId}>
        {action.message}
      </Alert>
    );
  if (action.status === "failed")
    return (
      <Alert title="That did not work" variant="danger" testId={testId}>
        {action.message}
      </Alert>
    );
  return null;
}
