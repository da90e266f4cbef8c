package io.parley.e2e.load;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the pipeline has settled after the load: every backend request committed so far has an
 * answer, the processor has consumed and committed everything on its input topics, and the reply
 * reader has read every committed reply. Only then can a late duplicate no longer appear, so only
 * then is the exactly-once verdict final.
 */
public final class Settled {

    private final Admin admin;
    private final String applicationId;
    private final List<String> processorInputs;
    private final TopicTail<BackendRequest> requests;
    private final TopicTail<BackendResponse> responses;
    private final ReplyReader replies;
    private List<BackendRequest> requestsSeen = List.of();
    private List<BackendResponse> responsesSeen = List.of();

    public Settled(Admin admin, String applicationId, List<String> processorInputs, TopicTail<BackendRequest> requests,
                   TopicTail<BackendResponse> responses, ReplyReader replies) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.processorInputs = List.copyOf(processorInputs);
        this.requests = requests;
        this.responses = responses;
        this.replies = replies;
    }

    /** Checks once; meant to be polled. */
    public boolean check() throws ExecutionException, InterruptedException {
        requestsSeen = requests.catchUp();
        responsesSeen = responses.catchUp();
        if (!unansweredRequests().isEmpty()) {
            return false;
        }
        Map<TopicPartition, Long> inputEnds = endOffsets(processorInputs, IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get();
        boolean consumed = inputEnds.entrySet().stream().allMatch(end -> {
            OffsetAndMetadata offset = committed.get(end.getKey());
            return end.getValue() == 0 || offset != null && offset.offset() >= end.getValue();
        });
        return consumed && replies.hasRead(endOffsets(List.of(replies.topic()), IsolationLevel.READ_COMMITTED));
    }

    /** What is still missing, as last checked. */
    public String describe() {
        Set<String> unanswered = unansweredRequests();
        return unanswered.isEmpty()
                ? "every request is answered, but the processor has not committed its input or the replies were not all read"
                : unanswered.size() + " requests have no response, e.g. " + unanswered.stream().sorted().limit(5).toList();
    }

    /** Request ids with no response, as last checked. */
    public Set<String> unansweredRequests() {
        Set<String> answered = responsesSeen.stream().map(BackendResponse::getRequestId).collect(Collectors.toSet());
        Set<String> unanswered = new HashSet<>();
        requestsSeen.forEach(request -> {
            if (!answered.contains(request.getRequestId())) {
                unanswered.add(request.getRequestId());
            }
        });
        return unanswered;
    }

    /**
     * What the workers answered to the requests of these events, as last checked: one line per
     * response (request id, status, attempts, error), so a wrong reply shows what it was built from.
     */
    public String backendAnswersOf(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return "";
        }
        StringBuilder answers = new StringBuilder("\nbackend answers to those events:");
        // Request ids are hashes scoped to the conversation: the requests tell which event each was for.
        Map<String, String> eventOfRequest = requestsSeen.stream()
                .collect(Collectors.toMap(BackendRequest::getRequestId, BackendRequest::getEventId, (a, b) -> a));
        for (String eventId : eventIds) {
            List<BackendResponse> ofEvent = responsesSeen.stream()
                    .filter(response -> eventId.equals(eventOfRequest.get(response.getRequestId())))
                    .toList();
            long issued = requestsSeen.stream().filter(request -> eventId.equals(request.getEventId())).count();
            if (ofEvent.isEmpty()) {
                answers.append("\n  ").append(eventId).append(": ").append(issued).append(" requests committed, none answered");
            }
            ofEvent.forEach(response -> answers.append("\n  ").append(eventId).append(" ").append(response.getOperation())
                    .append(" ").append(response.getRequestId()).append(": ")
                    .append(response.getStatus()).append(", ").append(response.getAttempts()).append(" attempts")
                    .append(response.getError() == null ? "" : ", \"" + response.getError() + "\""));
        }
        return answers.toString();
    }

    /** The committed requests, as last checked (the same request id may appear more than once). */
    public List<BackendRequest> requests() {
        return requestsSeen;
    }

    private Map<TopicPartition, Long> endOffsets(List<String> topics, IsolationLevel isolation)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(description -> description.partitions().stream()
                        .map(p -> new TopicPartition(description.name(), p.partition())))
                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get();
        return ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
