package io.lambdaingress.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void namesAreCaseInsensitiveAndDifferentSpellingsOfOneNameAreMerged() {
        Map<String, List<String>> sent = new LinkedHashMap<>();
        sent.put("Accept", List.of("text/html"));
        sent.put("ACCEPT", List.of("application/json"));
        sent.put("x-empty", Arrays.asList((String) null));

        Headers headers = Headers.ofMultiValues(sent);

        assertEquals(List.of("text/html", "application/json"), headers.all("accept"));
        assertEquals("text/html", headers.first("aCcEpT"));
        assertTrue(headers.contains("Accept"));
        assertEquals(List.of(), headers.all("x-empty"));
        assertNull(headers.first("missing"));
        assertFalse(headers.contains("missing"));
    }

    @Test
    void singleValueFormHasOneValuePerName() {
        Headers headers = Headers.ofSingleValues(Map.of("Host", "example.com"));
        assertEquals(List.of("example.com"), headers.all("host"));
        assertEquals(Headers.empty(), Headers.ofSingleValues(null));
    }
}
