package io.frostbyte.bench;

import java.util.List;

/** A named benchmark suite. Suites set up what they measure themselves and clean up after themselves. */
public interface BenchSuite {
    String name();

    String description();

    /** Runs the suite and returns its figures, each with a baseline measured in this run. */
    List<Figure> run(BenchOptions options) throws Exception;
}
