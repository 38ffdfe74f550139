package io.frostbyte.core.proof;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.document.DocId;
import io.frostbyte.core.index.ChunkFields;
import io.frostbyte.core.index.SearchFilter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The filters a search ran with, as its proof records them (spec/05 §5.1): {@code {"classification": [...],
 * "date_range": {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}, "doc_ids": [...]}}, each member only when it filtered.
 * No filters is {@code {}}. Lists keep their given order, which is part of what is signed.
 *
 * @param classification labels a chunk may carry; empty when not filtered
 * @param start inclusive first UTC ingestion day
 * @param end inclusive last UTC ingestion day
 * @param docIds documents a chunk may come from; empty when not filtered
 */
public record ProofFilters(
        List<String> classification, Optional<LocalDate> start, Optional<LocalDate> end, List<String> docIds) {
    /** Most labels recorded. */
    public static final int MAX_CLASSIFICATIONS = 64;
    /** Most doc ids a search may name (spec/05 §5.1). */
    public static final int MAX_DOC_IDS = 100;

    public static final ProofFilters NONE = new ProofFilters(List.of(), Optional.empty(), Optional.empty(), List.of());

    public ProofFilters {
        classification = List.copyOf(requireNonNull(classification, "classification is null"));
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        docIds = List.copyOf(requireNonNull(docIds, "docIds is null"));
        if (classification.size() > MAX_CLASSIFICATIONS) {
            throw new IllegalArgumentException("filters.classification holds at most " + MAX_CLASSIFICATIONS
                    + " labels: " + classification.size());
        }
        if (docIds.size() > MAX_DOC_IDS) {
            throw new IllegalArgumentException(
                    "filters.doc_ids holds at most " + MAX_DOC_IDS + " ids: " + docIds.size());
        }
        classification.forEach(ChunkFields::requireClassification);
        docIds.forEach(DocId::new);
        if (start.isPresent() && end.isPresent() && start.get().isAfter(end.get())) {
            throw new IllegalArgumentException(
                    "filters.date_range start " + start.get() + " is after end " + end.get());
        }
    }

    /** The proof's record of a search filter (labels and doc ids in their sorted order). */
    public static ProofFilters of(SearchFilter filter) {
        requireNonNull(filter, "filter is null");
        return new ProofFilters(
                List.copyOf(filter.classifications()),
                filter.ingestedFrom(),
                filter.ingestedTo(),
                filter.docIds().stream().map(DocId::value).toList());
    }

    /** The JSON object, members only for the filters that applied. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!classification.isEmpty()) {
            json.put("classification", classification);
        }
        if (start.isPresent() || end.isPresent()) {
            Map<String, Object> range = new LinkedHashMap<>();
            start.ifPresent(day -> range.put("start", day.toString()));
            end.ifPresent(day -> range.put("end", day.toString()));
            json.put("date_range", range);
        }
        if (!docIds.isEmpty()) {
            json.put("doc_ids", docIds);
        }
        return json;
    }

    static ProofFilters fromJson(JsonFields object) {
        List<String> labels = object.optionalStrings("classification").orElse(List.of());
        Optional<LocalDate> from = Optional.empty();
        Optional<LocalDate> to = Optional.empty();
        Optional<JsonFields> range = object.optionalObject("date_range");
        if (range.isPresent()) {
            from = range.get().optionalString("start").map(day -> range.get().day("start", day));
            to = range.get().optionalString("end").map(day -> range.get().day("end", day));
            range.get().requireOnly(List.of("start", "end"));
            if (from.isEmpty() && to.isEmpty()) {
                throw range.get().invalid("has neither start nor end");
            }
        }
        List<String> ids = object.optionalStrings("doc_ids").orElse(List.of());
        object.requireOnly(List.of("classification", "date_range", "doc_ids"));
        if (object.has("classification") && labels.isEmpty() || object.has("doc_ids") && ids.isEmpty()) {
            // an empty list would be written as an absent member: not the bytes that were signed
            throw object.invalid("holds an empty filter list");
        }
        return new ProofFilters(new ArrayList<>(labels), from, to, new ArrayList<>(ids));
    }
}
