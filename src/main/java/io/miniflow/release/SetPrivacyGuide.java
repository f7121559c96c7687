package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.APP_ID;
import static io.miniflow.release.ReleaseVariables.PRIVACY_CONTACT_EMAIL;

import java.util.List;

import io.miniflow.release.MiniProgramCodePort.PrivacySettings;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_SetPrivacyGuide: the privacy guide for the version under audit. */
@Component("setPrivacyGuide")
class SetPrivacyGuide implements JavaDelegate {

    private final MiniProgramRelease release;

    SetPrivacyGuide(MiniProgramRelease release) {
        this.release = release;
    }

    @Override
    public void execute(DelegateExecution e) {
        release.setPrivacy(APP_ID.from(e), new PrivacySettings(PRIVACY_CONTACT_EMAIL.optional(e).orElse(null),
            List.of()));
    }
}
