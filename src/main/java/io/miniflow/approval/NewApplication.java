package io.miniflow.approval;

import java.util.Map;

/** What an applicant asks to be reviewed; also the process variables review-approval starts with. */
public record NewApplication(String workspace, ApprovalCategory category, String title, String objectName,
                             String objectVersion, String environment, String applicant) {

    static NewApplication fromVariables(Map<String, Object> vars) {
        return new NewApplication(
            (String) vars.get(ApprovalVariables.WORKSPACE),
            ApprovalCategory.valueOf((String) vars.get(ApprovalVariables.CATEGORY)),
            (String) vars.get(ApprovalVariables.TITLE),
            (String) vars.get(ApprovalVariables.OBJECT_NAME),
            (String) vars.get(ApprovalVariables.OBJECT_VERSION),
            (String) vars.get(ApprovalVariables.ENVIRONMENT),
            (String) vars.get(ApprovalVariables.APPLICANT));
    }
}
