import { useState } from 'react';

/** Approve or reject a call the agent wants to make; an optional reason goes back to the agent. */
export function ApprovalPrompt({ onAnswer }: { onAnswer: (approved: boolean, reason?: string) => void }) {
  const [reason, setReason] = useState('');
  const [answered, setAnswered] = useState(false);
  const answer = (approved: boolean) => {
    setAnswered(true);
    onAnswer(approved, reason.trim() || undefined);
  };
  return (
    <div className="approval-prompt">
      <p className="approval-question">This action changes things and needs your approval before it runs.</p>
      <label className="field field-inline">
        <span className="field-label">Reason (optional)</span>
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={200}
          disabled={answered}
        />
      </label>
      <div className="approval-actions">
        <button
          type="button"
          className="button button-danger"
          onClick={() => answer(true)}
          disabled={answered}
        >
          Approve
        </button>
        <button type="button" className="button" onClick={() => answer(false)} disabled={answered}>
          Reject
        </button>
      </div>
    </div>
  );
}
