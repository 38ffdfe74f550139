package io.frostbyte.core.answer;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.index.KeywordTerms;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The default answerer (spec/05 §5.5), deterministic and model-free: splits the retrieved chunks into sentences, scores
 * each by BM25 against the query (the sentences of this request are the collection; {@code fb-standard-1} terms,
 * k1 1.2, b 0.75), takes the best {@code maxSentences} with a score above zero, and writes them in chunk rank then
 * position order, each followed by its chunk's citation. Citation-like tokens inside chunk text are dropped so a chunk
 * cannot cite for another. No sentence scores: {@code ""}. Thread-safe.
 */
public final class ExtractiveAnswerer implements AnswerModel {
    private static final double K1 = 1.2;
    private static final double B = 0.75;
    private static final int MAX_QUERY_TERMS = 1024;
    private static final int MAX_SENTENCE_TERMS = 10_000;

    @Override
    public String answerer() {
        return "extractive";
    }

    @Override
    public Optional<String> model() {
        return Optional.empty();
    }

    @Override
    public String answer(AnswerRequest request) {
        requireNonNull(request, "request is null");
        Set<String> query = new LinkedHashSet<>(KeywordTerms.terms(request.query(), MAX_QUERY_TERMS));
        List<Candidate> candidates = candidates(request.chunks());
        if (query.isEmpty() || candidates.isEmpty()) {
            return "";
        }
        Map<String, Integer> documentFrequency = new HashMap<>();
        long totalTerms = 0;
        for (Candidate candidate : candidates) {
            totalTerms += candidate.terms().size();
            new LinkedHashSet<>(candidate.terms()).forEach(term -> documentFrequency.merge(term, 1, Integer::sum));
        }
        double averageLength = Math.max(1.0, (double) totalTerms / candidates.size());
        List<Scored> scored = new ArrayList<>();
        for (Candidate candidate : candidates) {
            double score = bm25(query, candidate.terms(), documentFrequency, candidates.size(), averageLength);
            if (score > 0) {
                scored.add(new Scored(candidate, score));
            }
        }
        Comparator<Scored> inOrder = Comparator.comparingInt(
                        (Scored s) -> s.candidate().rank())
                .thenComparingInt(s -> s.candidate().position());
        List<Scored> chosen = scored.stream()
                .sorted(Comparator.comparingDouble(Scored::score).reversed().thenComparing(inOrder))
                .limit(request.settings().maxSentences())
                .sorted(inOrder)
                .toList();
        List<String> sentences = new ArrayList<>(chosen.size());
        for (Scored s : chosen) {
            sentences.add(s.candidate().text() + " " + s.candidate().citation());
        }
        return String.join(" ", sentences);
    }

    private static List<Candidate> candidates(List<RetrievedChunk> chunks) {
        List<Candidate> candidates = new ArrayList<>();
        for (int rank = 0; rank < chunks.size(); rank++) {
            RetrievedChunk chunk = chunks.get(rank);
            int position = 0;
            for (String sentence : Sentences.split(chunk.text())) {
                String text = Citations.ANY
                        .matcher(sentence)
                        .replaceAll(" ")
                        .replaceAll("\\s+", " ")
                        .strip();
                List<String> terms = KeywordTerms.terms(text, MAX_SENTENCE_TERMS);
                if (!terms.isEmpty()) {
                    candidates.add(new Candidate(rank, position++, text, chunk.citation(), terms));
                }
            }
        }
        return candidates;
    }

    private static double bm25(
            Set<String> query, List<String> terms, Map<String, Integer> documentFrequency, int count, double avg) {
        Map<String, Integer> frequency = new HashMap<>();
        terms.forEach(term -> frequency.merge(term, 1, Integer::sum));
        double norm = K1 * (1 - B + B * terms.size() / avg);
        double score = 0;
        for (String term : query) {
            Integer tf = frequency.get(term);
            if (tf != null) {
                int df = documentFrequency.get(term);
                double idf = Math.log(1 + (count - df + 0.5) / (df + 0.5));
                score += idf * tf * (K1 + 1) / (tf + norm);
            }
        }
        return score;
    }

    private record Candidate(int rank, int position, String text, String citation, List<String> terms) {}

    private record Scored(Candidate candidate, double score) {}
}
