package io.frostbyte.server.intake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.server.http.Json;

/** Manifests for tests, built field by field so a test can break exactly one rule. */
public final class ManifestJson {
    final ObjectNode root = Json.mapper().createObjectNode();
    final ArrayNode files = root.putArray("files");

    public ManifestJson(String batchId, String tenantId) {
        root.put("batch_id", batchId);
        root.put("tenant_id", tenantId);
        root.put("file_count", 0);
    }

    public ManifestJson add(String fileId, String filename, String mime, byte[] content) {
        return add(fileId, filename, mime, content.length, Multipart.sha256(content));
    }

    ManifestJson add(String fileId, String filename, String mime, long size, String sha256) {
        ObjectNode file = files.addObject();
        file.put("file_id", fileId);
        file.put("filename", filename);
        file.put("mime_type", mime);
        file.put("size_bytes", size);
        file.put("sha256", sha256);
        root.put("file_count", files.size());
        return this;
    }

    public String json() {
        return root.toString();
    }
}
