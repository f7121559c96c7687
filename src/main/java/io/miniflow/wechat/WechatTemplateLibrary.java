package io.miniflow.wechat;

import org.springframework.stereotype.Component;

import io.miniflow.release.TemplateLibrary;

/** The release domain's view of WeChat's template library (wxa/gettemplatelist, every template type). */
@Component
class WechatTemplateLibrary implements TemplateLibrary {

    private final WechatClient client;

    WechatTemplateLibrary(WechatClient client) {
        this.client = client;
    }

    @Override
    public boolean contains(long templateId) {
        return client.templates(null).stream().anyMatch(t -> t.templateId() == templateId);
    }
}
