from zhibu.testing.matrix import Case

ACCESS = [Case("audit:index", allowed={"auditor"})]
