package io.miniflow.console;

/**
 * The console's "Open tenant" form, as typed: kept as text so a refused form comes back with what was entered.
 * The actor is the logged-in user, never a field.
 */
public class TenantForm {

    private String workspace;
    private String tenantCode;
    private String name;
    private String contact;
    private String appCode;
    private String envCode;
    private String tenantAppCode;
    private String extJson;
    private String templateId;
    private String notifyUrl;

    public String getWorkspace() {
        return workspace;
    }

    public void setWorkspace(String workspace) {
        this.workspace = workspace;
    }

    public String getTenantCode() {
        return tenantCode;
    }

    public void setTenantCode(String tenantCode) {
        this.tenantCode = tenantCode;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getContact() {
        return contact;
    }

    public void setContact(String contact) {
        this.contact = contact;
    }

    public String getAppCode() {
        return appCode;
    }

    public void setAppCode(String appCode) {
        this.appCode = appCode;
    }

    public String getEnvCode() {
        return envCode;
    }

    public void setEnvCode(String envCode) {
        this.envCode = envCode;
    }

    public String getTenantAppCode() {
        return tenantAppCode;
    }

    public void setTenantAppCode(String tenantAppCode) {
        this.tenantAppCode = tenantAppCode;
    }

    public String getExtJson() {
        return extJson;
    }

    public void setExtJson(String extJson) {
        this.extJson = extJson;
    }

    public String getTemplateId() {
        return templateId;
    }

    public void setTemplateId(String templateId) {
        this.templateId = templateId;
    }

    public String getNotifyUrl() {
        return notifyUrl;
    }

    public void setNotifyUrl(String notifyUrl) {
        this.notifyUrl = notifyUrl;
    }
}
