package io.miniflow.sandbox.aliyun;

import java.util.Map;

/** One emulated product (ECS, SLB): its API version, host and actions. */
interface RpcProduct {

    String version();

    String hostId();

    /** Runs the action; the caller holds the emulator's lock. Returns the response body without RequestId. */
    Map<String, Object> handle(RpcRequest request);

    static AliyunError unknownAction(String action) {
        return AliyunError.notFound("InvalidAction.NotFound",
            "Specified api is not found, please check your url and method. (" + action + ")");
    }
}
