package io.frostbyte.core.index;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.document.DocId;
import java.time.LocalDate;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Filters applied to both legs of a search before ranking (a pre-filter, so k hits come back whenever k match). Empty
 * sets and empty bounds do not filter.
 *
 * @param classifications keep chunks with one of these labels
 * @param ingestedFrom keep chunks ingested on or after this UTC day
 * @param ingestedTo keep chunks ingested on or before this UTC day
 * @param docIds keep chunks of these documents
 */
public record SearchFilter(
        SortedSet<String> classifications,
        Optional<LocalDate> ingestedFrom,
        Optional<LocalDate> ingestedTo,
        SortedSet<DocId> docIds) {
    /** Most values per set; bounds the filter query. */
    public static final int MAX_VALUES = 1024;

    public static final SearchFilter NONE =
            new SearchFilter(new TreeSet<>(), Optional.empty(), Optional.empty(), new TreeSet<>());

    public SearchFilter {
        requireNonNull(classifications, "classifications is null");
        requireNonNull(ingestedFrom, "ingestedFrom is null");
        requireNonNull(ingestedTo, "ingestedTo is null");
        requireNonNull(docIds, "docIds is null");
        if (classifications.size() > MAX_VALUES || docIds.size() > MAX_VALUES) {
            throw new IllegalArgumentException("a filter holds at most " + MAX_VALUES + " values per field");
        }
        classifications.forEach(ChunkFields::requireClassification);
        if (ingestedFrom.isPresent()
                && ingestedTo.isPresent()
                && ingestedFrom.get().isAfter(ingestedTo.get())) {
            throw new IllegalArgumentException(
                    "ingestedFrom " + ingestedFrom.get() + " is after ingestedTo " + ingestedTo.get());
        }
        classifications = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(classifications));
        docIds = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(docIds));
    }

    public SearchFilter withClassifications(String... labels) {
        return new SearchFilter(new TreeSet<>(java.util.List.of(labels)), ingestedFrom, ingestedTo, docIds);
    }

    public SearchFilter withIngested(LocalDate from, LocalDate to) {
        return new SearchFilter(classifications, Optional.ofNullable(from), Optional.ofNullable(to), docIds);
    }

    public SearchFilter withDocIds(DocId... ids) {
        return new SearchFilter(classifications, ingestedFrom, ingestedTo, new TreeSet<>(java.util.List.of(ids)));
    }

    /** Inclusive lower bound in days since 1970-01-01, or {@link Integer#MIN_VALUE}. */
    public int fromDay() {
        return ingestedFrom.map(d -> Math.toIntExact(d.toEpochDay())).orElse(Integer.MIN_VALUE);
    }

    /** Inclusive upper bound in days since 1970-01-01, or {@link Integer#MAX_VALUE}. */
    public int toDay() {
        return ingestedTo.map(d -> Math.toIntExact(d.toEpochDay())).orElse(Integer.MAX_VALUE);
    }

    /** Whether a point with these fields passes the filter; the reference semantics every adapter implements. */
    public boolean matches(String classification, int ingestedDay, DocId docId) {
        return (classifications.isEmpty() || classifications.contains(classification))
                && ingestedDay >= fromDay()
                && ingestedDay <= toDay()
                && (docIds.isEmpty() || docIds.contains(docId));
    }
}
