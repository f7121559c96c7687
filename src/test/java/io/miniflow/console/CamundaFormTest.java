package io.miniflow.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** Reading a Camunda Form and typing what a person submitted. */
class CamundaFormTest {

    private static final String FORM = """
        {"components":[
          {"type":"text","text":"Read me"},
          {"type":"select","key":"decision","label":"Decision","validate":{"required":true},
           "values":[{"label":"Yes","value":"Y"}]},
          {"type":"number","key":"count","label":"Count"},
          {"type":"checkbox","key":"urgent","label":"Urgent"},
          {"type":"button","key":"submit","label":"Submit"}]}
        """;

    @Test
    void parsesFieldsAndSkipsButtons() throws Exception {
        CamundaForm form = parse();
        assertThat(form.fields()).extracting(CamundaForm.Field::type).containsExactly("text", "select", "number",
            "checkbox");
        assertThat(form.fields().get(1).required()).isTrue();
        assertThat(form.fields().get(1).options()).extracting(CamundaForm.Option::value).containsExactly("Y");
    }

    @Test
    void typesNumbersAndCheckboxes() throws Exception {
        Map<String, Object> vars = new HashMap<>();
        assertThat(parse().toVariables(Map.of("decision", "Y", "count", "3", "urgent", "true"), vars)).isEmpty();
        assertThat(vars).containsEntry("decision", "Y").containsEntry("count", 3L).containsEntry("urgent", true);
    }

    @Test
    void missingRequiredFieldsSubmitNothing() throws Exception {
        Map<String, Object> vars = new HashMap<>();
        assertThat(parse().toVariables(Map.of("count", "3"), vars)).containsExactly("decision");
        assertThat(vars).isEmpty();
    }

    @Test
    void aNumberThatIsNotANumberIsReported() throws Exception {
        Map<String, Object> vars = new HashMap<>();
        assertThat(parse().toVariables(Map.of("decision", "Y", "count", "three"), vars)).containsExactly("count");
    }

    private static CamundaForm parse() throws Exception {
        return CamundaForm.parse(new ByteArrayInputStream(FORM.getBytes(StandardCharsets.UTF_8)), new ObjectMapper());
    }
}
