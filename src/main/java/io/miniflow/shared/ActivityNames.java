package io.miniflow.shared;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * The BPMN models' element names in the reader's language. The models are written in English; the Chinese names live
 * in {@code i18n/bpmn-names.zh-CN.tsv}, by English name, so a name shared by several models ("Wait", "yes") is
 * translated once. A name without a translation stays English.
 */
@Component("activityNames")
public class ActivityNames {

    static final String ZH_NAMES = "i18n/bpmn-names.zh-CN.tsv";

    private final Map<String, String> chinese;

    public ActivityNames() {
        this.chinese = load();
    }

    /** The name for the current request's language (Thymeleaf: {@code ${@activityNames.of(a.activityName)}}). */
    public String of(String englishName) {
        return of(englishName, LocaleContextHolder.getLocale());
    }

    public String of(String englishName, Locale locale) {
        if (englishName == null || !Locale.CHINESE.getLanguage().equals(locale.getLanguage())) {
            return englishName;
        }
        return chinese.getOrDefault(englishName, englishName);
    }

    /** English name → the locale's name (empty for English): what the Cockpit plugin applies to its diagrams. */
    public Map<String, String> all(Locale locale) {
        return Locale.CHINESE.getLanguage().equals(locale.getLanguage()) ? chinese : Map.of();
    }

    public boolean translated(String englishName) {
        return chinese.containsKey(englishName);
    }

    /** The model's XML with every flow element's name in the locale's language (English: as it is). */
    public String translate(InputStream bpmnXml, Locale locale) {
        BpmnModelInstance model = Bpmn.readModelFromStream(bpmnXml);
        if (Locale.CHINESE.getLanguage().equals(locale.getLanguage())) {
            for (FlowElement element : model.getModelElementsByType(FlowElement.class)) {
                if (element.getName() != null) {
                    element.setName(of(element.getName(), locale));
                }
            }
        }
        return Bpmn.convertToString(model);
    }

    private static Map<String, String> load() {
        Map<String, String> names = new HashMap<>();
        InputStream in = ActivityNames.class.getClassLoader().getResourceAsStream(ZH_NAMES);
        if (in == null) {
            throw new IllegalStateException(ZH_NAMES + " is missing");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                int tab = line.indexOf('\t');
                if (!line.startsWith("#") && tab > 0) {
                    names.put(line.substring(0, tab), line.substring(tab + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(names);
    }
}
