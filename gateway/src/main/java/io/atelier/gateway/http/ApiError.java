package io.atelier.gateway.http;

/**
 * An error the API reports to its client. Each kind maps to exactly one HTTP status, here and
 * nowhere else, and is answered as {@code {"error": kind, "detail": ...}}.
 */
public final class ApiError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The kinds of error, each with its one status code. */
  public enum Kind {
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    TOO_MANY_REQUESTS(429),
    INTERNAL(500),
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

  public ApiError(Kind kind, String detail) {
    super(detail, null, false, false);
    this.kind = kind;
  }

  public static ApiError notFound(String detail) {
    return new ApiError(Kind.NOT_FOUND, detail);
  }

  public static ApiError badRequest(String detail) {
    return new ApiError(Kind.BAD_REQUEST, detail);
  }

  public Kind kind() {
    return kind;
  }
}
