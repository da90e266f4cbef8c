package io.parley.worker.mongodb;

/** What a MongoDB operation does; written as in the shell ({@code findOne}, case does not matter). */
public enum MongoCommand {
    /** The first document matching {@code filter}: an object; none is NOT_FOUND. */
    FINDONE(false),
    /** The documents matching {@code filter}, sorted and limited: an array. */
    FIND(false),
    /** Inserts {@code document}: {@code {"inserted": 1, "id": ...}}. */
    INSERTONE(true),
    /** Applies {@code set} to the first document matching {@code filter}: {@code {"matched": n, "updated": n}}. */
    UPDATEONE(true),
    /** Runs a fixed pipeline whose values are parameters: an array. */
    AGGREGATE(false);

    private final boolean write;

    MongoCommand(boolean write) {
        this.write = write;
    }

    public boolean write() {
        return write;
    }
}
