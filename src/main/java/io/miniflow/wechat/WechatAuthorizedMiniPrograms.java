package io.miniflow.wechat;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.miniflow.release.AuthorizedMiniPrograms;

/** The release batch's view of WeChat authorizers: those whose latest push left them AUTHORIZED. */
@Component
class WechatAuthorizedMiniPrograms implements AuthorizedMiniPrograms {

    private final JdbcClient jdbc;

    WechatAuthorizedMiniPrograms(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<String> all() {
        return jdbc.sql("SELECT app_id FROM mf_wechat_authorizer WHERE status = 'AUTHORIZED' ORDER BY app_id")
            .query(String.class).list();
    }

    @Override
    public List<String> unknown(Collection<String> appIds) {
        Set<String> authorized = new HashSet<>(all());
        return appIds.stream().filter(a -> !authorized.contains(a)).toList();
    }
}
