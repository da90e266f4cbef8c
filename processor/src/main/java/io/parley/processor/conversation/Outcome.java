package io.parley.processor.conversation;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatReply;
import io.parley.schemas.MuteCommand;
import io.parley.schemas.state.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What handling one input decided: the session afterwards (absent when it is to be deleted) and
 * the records to emit. Records are collected here and emitted by the processor only when the
 * handling has finished, so a failure halfway emits nothing half-done.
 */
public final class Outcome {

    private Session session;
    private final List<BackendRequest> requests = new ArrayList<>();
    private final List<ChatReply> replies = new ArrayList<>();
    private final List<AuditEvent> audits = new ArrayList<>();
    private final List<MuteCommand> mutes = new ArrayList<>();

    Outcome(Session session) {
        this.session = session;
    }

    /** The session to store; empty when it is to be deleted. */
    public Optional<Session> session() {
        return Optional.ofNullable(session);
    }

    public List<BackendRequest> requests() {
        return List.copyOf(requests);
    }

    public List<ChatReply> replies() {
        return List.copyOf(replies);
    }

    public List<AuditEvent> audits() {
        return List.copyOf(audits);
    }

    /** Mute commands for the trigger-rules step (intents with {@code mute:}), keyed by device id when emitted. */
    public List<MuteCommand> mutes() {
        return List.copyOf(mutes);
    }

    void mute(MuteCommand command) {
        mutes.add(command);
    }

    Session current() {
        return session;
    }

    void session(Session updated) {
        this.session = updated;
    }

    void request(BackendRequest request) {
        requests.add(request);
    }

    void reply(ChatReply reply) {
        replies.add(reply);
    }

    void audit(AuditEvent audit) {
        audits.add(audit);
    }

    /** Replaces the audit records (audit mode turn folds steps into TURN records). */
    void replaceAudits(List<AuditEvent> folded) {
        audits.clear();
        audits.addAll(folded);
    }

    /** A point to roll back to when the rest of the handling fails. */
    Mark mark() {
        return new Mark(requests.size(), replies.size(), audits.size(), mutes.size());
    }

    void rollbackTo(Mark mark) {
        truncate(requests, mark.requests());
        truncate(replies, mark.replies());
        truncate(audits, mark.audits());
        truncate(mutes, mark.mutes());
    }

    private static void truncate(List<?> list, int size) {
        list.subList(size, list.size()).clear();
    }

    record Mark(int requests, int replies, int audits, int mutes) {
    }
}
