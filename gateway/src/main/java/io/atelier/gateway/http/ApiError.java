package io.atelier.gateway.http;

import java.util.List;

/**
 * An error the API reports to its client. Each kind maps to exactly one HTTP status, here and
 * nowhere else, and is answered as {@code {"error": kind, "detail": ...}} (plus {@code "problems"}
 * when there are several).
 */
public final class ApiError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The kinds of error, each with its one status code. */
  public enum Kind {
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    TOO_MANY_REQUESTS(429),
    INTERNAL(500),
    BAD_GATEWAY(502),
    UNAVAILABLE(503);

    private final int status;

    Kind(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final Kind kind;
  private final List<String> problems;

  public ApiError(Kind kind, String detail) {
    this(kind, detail, List.of());
  }

  /** An error with a list of individual problems (every problem of a rejected machine). */
  public ApiError(Kind kind, String detail, List<String> problems) {
    super(detail, null, false, false);
    this.kind = kind;
    this.problems = List.copyOf(problems);
  }

  public static ApiError notFound(String detail) {
    return new ApiError(Kind.NOT_FOUND, detail);
  }

  public static ApiError badRequest(String detail) {
    return new ApiError(Kind.BAD_REQUEST, detail);
  }

  public static ApiError forbidden(String detail) {
    return new ApiError(Kind.FORBIDDEN, detail);
  }

  public static ApiError unavailable(String detail) {
    return new ApiError(Kind.UNAVAILABLE, detail);
  }

  public Kind kind() {
    return kind;
  }

  public List<String> problems() {
    return problems;
  }
}
