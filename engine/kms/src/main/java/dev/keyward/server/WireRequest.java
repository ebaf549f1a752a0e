package dev.keyward.server;

import java.util.List;
import java.util.Map;

/**
 * One complete HTTP request as the KMS front end sees it, copied out of the network buffers (so that it can
 * be answered on another thread): method, raw path and query, headers by lower-case name, body.
 *
 * @param remote the client's address, for the audit log of refused authentications
 */
record WireRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
    String remote) {

  WireRequest {
    headers = Map.copyOf(headers);
  }

  /** The first value of a header (name in lower case), or null. */
  String header(String lowerCaseName) {
    List<String> v = headers.get(lowerCaseName);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
