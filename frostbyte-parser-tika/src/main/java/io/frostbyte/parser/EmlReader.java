package io.frostbyte.parser;

import io.frostbyte.core.document.Attachment;
import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.ParseLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * EML (spec/02 §2.2): the subject as a level-1 heading, the headers {@code from, to, cc, date, subject, message_id} as
 * metadata, the text body (the {@code text/plain} alternative, else the HTML one through the HTML mapping) as
 * paragraphs, and every attachment listed with its name, type and decoded size, never parsed. Multipart nesting
 * deeper than {@code parse.max_nesting_depth} and attachments beyond {@code parse.max_embedded_documents} are dropped.
 */
final class EmlReader {
    /** Turns an HTML body into blocks. */
    interface HtmlBlocks {
        Extraction read(byte[] html) throws Exception;
    }

    private static final Pattern BLANK_LINES = Pattern.compile("\\n[ \\t\\f\\u000B]*\\n\\s*");
    private static final int MAX_HEADER_COUNT = 1000;
    private static final int MAX_LINE_LENGTH = 100_000;

    private final ParseLimits limits;
    private final HtmlBlocks html;
    private final Extraction extraction = new Extraction();
    private boolean bodyFound;
    private int attachments;

    private EmlReader(ParseLimits limits, HtmlBlocks html) {
        this.limits = limits;
        this.html = html;
    }

    static Extraction read(byte[] bytes, ParseLimits limits, HtmlBlocks html) throws Exception {
        EmlReader reader = new EmlReader(limits, html);
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.custom()
                .setMaxHeaderCount(MAX_HEADER_COUNT)
                .setMaxLineLen(MAX_LINE_LENGTH)
                .setMaxHeaderLen(MAX_LINE_LENGTH)
                .setMaxContentLen(limits.maxBytes())
                .build());
        try {
            Message message = builder.parseMessage(new ByteArrayInputStream(bytes));
            reader.headers(message);
            reader.entity(message, 0);
            message.dispose();
        } catch (MimeException e) {
            throw new IOException("malformed message", e);
        }
        return reader.extraction;
    }

    private void headers(Message message) {
        put("subject", message.getSubject());
        put("from", mailboxes(message.getFrom()));
        put("to", addresses(message.getTo()));
        put("cc", addresses(message.getCc()));
        put("message_id", message.getMessageId());
        if (message.getDate() != null) {
            put("date", Instant.ofEpochMilli(message.getDate().getTime()).toString());
        }
        if (message.getSubject() != null && !message.getSubject().isBlank()) {
            extraction.blocks.add(RawBlock.text(BlockType.HEADING, 1, message.getSubject(), 1, 1));
            extraction.metadata.put("title", message.getSubject());
        }
        put("author", mailboxes(message.getFrom()));
    }

    private void put(String key, String value) {
        if (value != null && !value.isBlank()) {
            extraction.metadata.put(key, value);
        }
    }

    private static String mailboxes(MailboxList list) {
        return list == null
                ? null
                : String.join(", ", list.stream().map(Object::toString).toList());
    }

    private static String addresses(AddressList list) {
        return list == null
                ? null
                : String.join(", ", list.stream().map(Object::toString).toList());
    }

    private void entity(Entity entity, int depth) throws Exception {
        if (depth > limits.maxNestingDepth()) {
            extraction.drop("message_part", 1, "limit_exceeded");
            return;
        }
        Body body = entity.getBody();
        String type = entity.getMimeType() == null
                ? "text/plain"
                : entity.getMimeType().toLowerCase(Locale.ROOT);
        boolean attachment = "attachment".equalsIgnoreCase(entity.getDispositionType()) || entity.getFilename() != null;
        if (body instanceof Multipart multipart && !attachment) {
            if (type.equals("multipart/alternative")) {
                Entity chosen = null;
                for (Entity part : multipart.getBodyParts()) {
                    boolean plain = "text/plain".equalsIgnoreCase(part.getMimeType());
                    if (chosen == null || (plain && !"text/plain".equalsIgnoreCase(chosen.getMimeType()))) {
                        chosen = part;
                    }
                }
                if (chosen != null) {
                    entity(chosen, depth + 1);
                }
                return;
            }
            for (Entity part : multipart.getBodyParts()) {
                entity(part, depth + 1);
            }
            return;
        }
        if (!attachment && !bodyFound && body instanceof TextBody text && type.equals("text/plain")) {
            bodyFound = true;
            plain(text);
            return;
        }
        if (!attachment && !bodyFound && body instanceof TextBody text && type.equals("text/html")) {
            bodyFound = true;
            byte[] markup = readBounded(text);
            extraction.blocks.addAll(html.read(markup).blocks);
            return;
        }
        attachment(entity, type, body);
    }

    private void plain(TextBody body) throws IOException {
        String text;
        try (Reader reader = body.getReader()) {
            char[] buffer = new char[8192];
            StringBuilder out = new StringBuilder();
            int read;
            while ((read = reader.read(buffer)) != -1) {
                out.append(buffer, 0, read);
                if (out.length() > limits.maxCharacters()) {
                    extraction.drop("text", 1, "limit_exceeded");
                    break;
                }
            }
            text = out.toString();
        }
        for (String paragraph : BLANK_LINES.split(text.replace("\r\n", "\n").replace('\r', '\n'))) {
            if (!paragraph.isBlank()) {
                extraction.blocks.add(RawBlock.text(BlockType.PARAGRAPH, 0, paragraph, 1, 1));
            }
        }
    }

    private byte[] readBounded(TextBody body) throws IOException {
        try (Reader reader = body.getReader()) {
            char[] buffer = new char[8192];
            StringBuilder out = new StringBuilder();
            int read;
            while ((read = reader.read(buffer)) != -1 && out.length() <= limits.maxCharacters()) {
                out.append(buffer, 0, read);
            }
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private void attachment(Entity entity, String type, Body body) throws IOException {
        attachments++;
        extraction.drop("attachment", 1, "attachment");
        if (attachments > limits.maxEmbeddedDocuments()) {
            extraction.drop("attachment", 1, "limit_exceeded");
            return;
        }
        long size = 0;
        if (body instanceof SingleBody single) {
            try (InputStream in = single.getInputStream()) {
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer)) != -1) {
                    size += read;
                }
            }
        }
        String name = entity.getFilename() == null ? "" : entity.getFilename();
        extraction.attachments.add(new Attachment(name, type, size));
    }
}
