package io.miniflow.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.miniflow.approval.DecisionRules.Kind;
import io.miniflow.approval.DecisionRules.Refusal;

/** The rules every review decision passes, and where decisions leave an application. */
class DecisionRulesTest {

    private static final Instant CREATED = Instant.parse("2026-03-02T09:00:00Z");
    private static final String APPLICANT = "developer";

    @Test
    void shouldAcceptAReviewersFirstDecision() {
        assertThat(check(pending(1), List.of(), "reviewer", true, Decision.APPROVE, null)).isEmpty();
        assertThat(check(pending(1), List.of(), "reviewer", true, Decision.REJECT, "notes missing")).isEmpty();
    }

    @Test
    void shouldRefuseADecisionOnAnApplicationThatIsNoLongerPending() {
        for (ApprovalStatus ended : List.of(ApprovalStatus.APPROVED, ApprovalStatus.REJECTED, ApprovalStatus.WITHDRAWN,
                ApprovalStatus.EXPIRED)) {
            assertThat(check(approval(1, ended), List.of(), "reviewer", true, Decision.APPROVE, null)).as("%s", ended)
                .contains(new Refusal(Kind.STATE, "approval.notPending"));
        }
    }

    @Test
    void shouldRefuseADecisionWithoutAUser() {
        assertThat(check(pending(1), List.of(), null, true, Decision.APPROVE, null))
            .contains(new Refusal(Kind.FORBIDDEN, "approval.noUser"));
        assertThat(check(pending(1), List.of(), " ", true, Decision.APPROVE, null))
            .contains(new Refusal(Kind.FORBIDDEN, "approval.noUser"));
    }

    @Test
    void shouldRefuseTheApplicantsDecisionOnTheirOwnApplication() {
        assertThat(check(pending(1), List.of(), APPLICANT, true, Decision.APPROVE, null))
            .contains(new Refusal(Kind.FORBIDDEN, "approval.ownApplication"));
    }

    @Test
    void shouldRefuseSomeoneWhoIsNotAReviewer() {
        assertThat(check(pending(1), List.of(), "mpadmin", false, Decision.APPROVE, null))
            .contains(new Refusal(Kind.FORBIDDEN, "approval.notReviewer"));
    }

    @Test
    void shouldRefuseASecondDecisionByTheSameReviewer() {
        List<ReviewerDecision> earlier = List.of(decision("reviewer", Decision.APPROVE));

        assertThat(check(pending(2), earlier, "reviewer", true, Decision.APPROVE, null))
            .contains(new Refusal(Kind.FORBIDDEN, "approval.alreadyDecided"));
        assertThat(check(pending(2), earlier, "reviewer2", true, Decision.APPROVE, null)).isEmpty();
    }

    @Test
    void shouldRefuseAMissingDecision() {
        assertThat(check(pending(1), List.of(), "reviewer", true, null, "fine"))
            .contains(new Refusal(Kind.INVALID, "approval.decisionMissing"));
    }

    @Test
    void shouldRefuseARejectionWithoutAComment() {
        assertThat(check(pending(1), List.of(), "reviewer", true, Decision.REJECT, null))
            .contains(new Refusal(Kind.INVALID, "approval.commentRequired"));
        assertThat(check(pending(1), List.of(), "reviewer", true, Decision.REJECT, "  "))
            .contains(new Refusal(Kind.INVALID, "approval.commentRequired"));
    }

    @Test
    void shouldRefuseACommentLongerThanTheLimit() {
        String atLimit = "x".repeat(DecisionRules.COMMENT_MAX);

        assertThat(check(pending(1), List.of(), "reviewer", true, Decision.APPROVE, atLimit)).isEmpty();
        assertThat(check(pending(1), List.of(), "reviewer", true, Decision.APPROVE, atLimit + "x"))
            .contains(new Refusal(Kind.INVALID, "approval.commentTooLong"));
        assertThat(check(pending(1), List.of(), "reviewer", true, Decision.REJECT, atLimit + "x"))
            .contains(new Refusal(Kind.INVALID, "approval.commentTooLong"));
    }

    @Test
    void shouldRejectAfterOneRejectionWhateverTheApprovals() {
        List<ReviewerDecision> decisions = List.of(decision("reviewer", Decision.APPROVE),
            decision("reviewer2", Decision.APPROVE), decision("admin", Decision.REJECT));

        assertThat(DecisionRules.outcome(pending(2), decisions)).isEqualTo(ApprovalStatus.REJECTED);
    }

    @Test
    void shouldApproveAtTheRequiredNumberOfDistinctApprovers() {
        assertThat(DecisionRules.outcome(pending(1), List.of(decision("reviewer", Decision.APPROVE))))
            .isEqualTo(ApprovalStatus.APPROVED);
        assertThat(DecisionRules.outcome(pending(2), List.of(decision("reviewer", Decision.APPROVE),
            decision("reviewer2", Decision.APPROVE)))).isEqualTo(ApprovalStatus.APPROVED);
    }

    @Test
    void shouldStayUndecidedWhileApprovalsAreMissing() {
        assertThat(DecisionRules.outcome(pending(1), List.of())).isNull();
        assertThat(DecisionRules.outcome(pending(2), List.of(decision("reviewer", Decision.APPROVE)))).isNull();
    }

    @Test
    void shouldCountTheSameApproverOnce() {
        List<ReviewerDecision> twiceByOne = List.of(decision("reviewer", Decision.APPROVE),
            decision("reviewer", Decision.APPROVE));

        assertThat(DecisionRules.outcome(pending(2), twiceByOne)).isNull();
    }

    @Test
    void shouldNotCountTheApplicantsOwnApproval() {
        List<ReviewerDecision> withOwn = List.of(decision(APPLICANT, Decision.APPROVE),
            decision("reviewer", Decision.APPROVE));

        assertThat(DecisionRules.outcome(pending(2), withOwn)).isNull();
        assertThat(DecisionRules.outcome(pending(1), List.of(decision(APPLICANT, Decision.APPROVE)))).isNull();
    }

    @Test
    void shouldParseOnlyApproveOrReject() {
        assertThat(DecisionRules.parse(" approve ")).isEqualTo(Decision.APPROVE);
        assertThat(DecisionRules.parse("REJECT")).isEqualTo(Decision.REJECT);
        assertThat(DecisionRules.parse("maybe")).isNull();
        assertThat(DecisionRules.parse(null)).isNull();
    }

    private static Optional<Refusal> check(Approval approval, List<ReviewerDecision> earlier, String user,
                                           boolean reviewer, Decision decision, String comment) {
        return DecisionRules.check(approval, earlier, user, reviewer, decision, comment);
    }

    private static Approval pending(int requiredApprovals) {
        return approval(requiredApprovals, ApprovalStatus.PENDING);
    }

    private static Approval approval(int requiredApprovals, ApprovalStatus status) {
        return new Approval(7L, "Demo", ApprovalCategory.PUBLISH, "Publish shop 1.2.0 to prod", "shop", "1.2.0", "prod",
            APPLICANT, requiredApprovals, status, null, "pi-7", CREATED, status.isFinal() ? CREATED : null);
    }

    private static ReviewerDecision decision(String by, Decision decision) {
        return new ReviewerDecision(by, decision, decision == Decision.REJECT ? "not yet" : null, CREATED);
    }
}
