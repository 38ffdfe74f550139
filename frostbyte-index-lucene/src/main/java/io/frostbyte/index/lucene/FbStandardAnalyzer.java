package io.frostbyte.index.lucene;

import io.frostbyte.core.index.IndexPoint;
import io.frostbyte.core.index.KeywordTerms;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * {@code fb-standard-1} (spec/04 §4.3) in Lucene: NFKC, Unicode (UAX #29) word segmentation, lower case, no stemming,
 * no stop words. Input is read whole (chunks are bounded by {@link IndexPoint#MAX_TEXT_CHARS}) so NFKC sees complete
 * sequences.
 */
final class FbStandardAnalyzer extends Analyzer {
    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer tokenizer = new StandardTokenizer();
        tokenizer.setMaxTokenLength(KeywordTerms.MAX_TERM_CHARS);
        TokenStream stream = new LowerCaseFilter(tokenizer);
        return new TokenStreamComponents(tokenizer, stream);
    }

    @Override
    protected Reader initReader(String fieldName, Reader reader) {
        try {
            char[] buffer = new char[IndexPoint.MAX_TEXT_CHARS];
            int length = 0;
            for (int read;
                    length < buffer.length && (read = reader.read(buffer, length, buffer.length - length)) > 0; ) {
                length += read;
            }
            return new StringReader(Normalizer.normalize(new String(buffer, 0, length), Normalizer.Form.NFKC));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
