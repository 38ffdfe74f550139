package io.frostbyte.core.index;

/** The in-memory fake passes the same contract as the real adapters. */
class InMemoryVectorIndexTest extends VectorIndexContract {
    private final InMemoryVectorIndex index = new InMemoryVectorIndex();

    @Override
    protected VectorIndex index() {
        return index;
    }
}
