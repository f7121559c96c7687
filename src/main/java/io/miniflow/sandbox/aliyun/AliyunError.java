package io.miniflow.sandbox.aliyun;

/** A refusal in the platform's words: HTTP status, error code and message, as the RPC APIs answer. */
class AliyunError extends RuntimeException {

    private final int httpStatus;
    private final String code;

    AliyunError(int httpStatus, String code, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.code = code;
    }

    static AliyunError badRequest(String code, String message) {
        return new AliyunError(400, code, message);
    }

    static AliyunError forbidden(String code, String message) {
        return new AliyunError(403, code, message);
    }

    static AliyunError notFound(String code, String message) {
        return new AliyunError(404, code, message);
    }

    static AliyunError missing(String parameter) {
        return badRequest("MissingParameter", "The input parameter \"" + parameter + "\" that is mandatory for "
            + "processing this request is not supplied.");
    }

    static AliyunError invalid(String parameter, String value) {
        return badRequest("InvalidParameter", "The specified parameter \"" + parameter + "\" is not valid: " + value);
    }

    static AliyunError incorrectInstanceStatus(String instanceId, String status) {
        return forbidden("IncorrectInstanceStatus", "The current status of the resource does not support this "
            + "operation. (" + instanceId + " is " + status + ")");
    }

    int httpStatus() {
        return httpStatus;
    }

    String code() {
        return code;
    }
}
