package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.APP_ID;
import static io.miniflow.release.ReleaseVariables.PRIVACY_CONTACT_EMAIL;
import static io.miniflow.release.ReleaseVariables.PRIVACY_GUIDE;

import java.util.List;

import io.miniflow.release.MiniProgramCodePort.PrivacySettings;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Task_SetPrivacyGuide: the privacy guide for the version under audit; the full guide (read back and compared) when
 * the mini program or its app has one, else the privacy contact with the platform's standard texts.
 */
@Component("setPrivacyGuide")
class SetPrivacyGuide implements JavaDelegate {

    private final MiniProgramRelease release;

    SetPrivacyGuide(MiniProgramRelease release) {
        this.release = release;
    }

    @Override
    public void execute(DelegateExecution e) {
        java.util.Optional<String> guide = PRIVACY_GUIDE.optional(e);
        if (guide.isPresent()) {
            release.applyPrivacyGuide(APP_ID.from(e), PrivacyGuide.fromJson(guide.get()));
            return;
        }
        release.setPrivacy(APP_ID.from(e), new PrivacySettings(PRIVACY_CONTACT_EMAIL.optional(e).orElse(null),
            List.of()));
    }
}
