package io.frostbyte.server.api;

import io.frostbyte.server.http.Responses;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/ingest/{tenant_id}}. For now the tenant's intake limits; batch upload arrives with the intake
 * gateway. Until tenants carry their own configuration, every tenant has the platform defaults of spec/07 §7.8.
 */
public final class IngestController {
    private final int maxBatchSize;
    private final int maxFileSizeMb;
    private final int maxRequestGb;
    private final List<String> mimeAllowlist;

    public IngestController(int maxBatchSize, int maxFileSizeMb, int maxRequestGb, List<String> mimeAllowlist) {
        this.maxBatchSize = maxBatchSize;
        this.maxFileSizeMb = maxFileSizeMb;
        this.maxRequestGb = maxRequestGb;
        this.mimeAllowlist = List.copyOf(mimeAllowlist);
    }

    public void limits(Context ctx) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("max_batch_size", maxBatchSize);
        data.put("max_file_size_mb", maxFileSizeMb);
        data.put("max_request_gb", maxRequestGb);
        data.put("mime_allowlist", mimeAllowlist);
        Responses.ok(ctx, data);
    }
}
