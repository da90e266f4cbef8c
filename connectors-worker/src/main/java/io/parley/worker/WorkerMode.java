package io.parley.worker;

/** How the worker consumes requests; written in lower case in worker.yaml. */
public enum WorkerMode {
    /**
     * A KIP-932 share group: any number of workers share the request topic's partitions, and a
     * record is acknowledged on its own once its response is sent.
     */
    SHARE,
    /**
     * A classic consumer group, for clusters without share groups: at most one worker per
     * partition, offsets committed per partition in order once the responses are sent.
     */
    CLASSIC
}
