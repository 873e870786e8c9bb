import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage } from "./AuthPages";
import { ShareDialog } from "../analysis/ShareDialog";
import { jsonResponse, renderAt } from "../test/render";
import { stubFetch } from "../test/fetchStub";
import { exampleParts } from "../test/corpus";

afterEach(() => vi.unstubAllGlobals());

const user = { id: "u1", email: "erin@example.test", name: "Erin" };

describe("sign-up and sign-in", () => {
  it("signs up, then signs in (which moves anonymous analyses into the account) and returns to the analysis", async () => {
    const calls = stubFetch((url) => (url === "/api/me" ? jsonResponse(200, { user }) : jsonResponse(200, { user, token: "t", claimedAnalyses: 1 })));
    const { router } = renderAt("/sign-up?next=%2Fa%2Fan1&reason=save", [
      { path: "/sign-up", element: <SignUpPage /> },
      { path: "/a/:id", element: <p>analysis</p> },
    ]);
    expect(screen.getByText(/Create an account to save this analysis/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Erin" } });
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: user.email } });
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: "long enough" } });
    fireEvent.submit(screen.getByRole("button", { name: "Sign up" }).closest("form")!);
    await waitFor(() => expect(router.state.location.pathname).toBe("/a/an1"));
    const auth = calls.filter((c) => c.url.startsWith("/api/auth/"));
    expect(auth.map((c) => c.url)).toEqual(["/api/auth/sign-up/email", "/api/auth/sign-in/email"]);
    expect(auth[1]?.body).toEqual({ email: user.email, password: "long enough" });
  });

  it("refuses a short password before asking the server", () => {
    const calls = stubFetch(() => jsonResponse(200, {}));
    renderAt("/sign-up", [{ path: "/sign-up", element: <SignUpPage /> }]);
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: "short" } });
    fireEvent.submit(screen.getByRole("button", { name: "Sign up" }).closest("form")!);
    expect(screen.getByRole("alert").textContent).toContain("at least 8 characters");
    expect(calls.filter((c) => c.url.startsWith("/api/auth"))).toHaveLength(0);
  });

  it("shows the server's message for wrong credentials and never follows an off-site next", async () => {
    stubFetch(() => jsonResponse(401, { error: "unauthorized", message: "Invalid email or password" }));
    const { router } = renderAt("/sign-in?next=https%3A%2F%2Fevil.example", [{ path: "/sign-in", element: <SignInPage /> }]);
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "a@b.c" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "x" } });
    fireEvent.submit(screen.getByRole("button", { name: "Sign in" }).closest("form")!);
    expect((await screen.findByRole("alert")).textContent).toBe("Invalid email or password");
    expect(router.state.location.pathname).toBe("/sign-in");
  });
});

describe("password reset", () => {
  it('asks for a reset link from the sign-in page\'s "Forgot password?"', async () => {
    const calls = stubFetch(() => jsonResponse(200, { status: true }));
    const { router } = renderAt("/sign-in", [
      { path: "/sign-in", element: <SignInPage /> },
      { path: "/forgot-password", element: <ForgotPasswordPage /> },
    ]);
    fireEvent.click(screen.getByRole("link", { name: "Forgot password?" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/forgot-password"));
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: user.email } });
    fireEvent.submit(screen.getByRole("button", { name: "Send reset link" }).closest("form")!);
    expect((await screen.findByRole("status")).textContent).toContain("reset link is on its way");
    const request = calls.find((c) => c.url === "/api/auth/request-password-reset");
    expect(request?.body).toEqual({ email: user.email, redirectTo: "/reset-password" });
  });

  it("sets the new password with the link's token, then sends the user to sign in", async () => {
    const calls = stubFetch(() => jsonResponse(200, { status: true }));
    const { router } = renderAt("/reset-password?token=tok42", [
      { path: "/reset-password", element: <ResetPasswordPage /> },
      { path: "/sign-in", element: <SignInPage /> },
    ]);
    fireEvent.change(screen.getByLabelText(/^New password/), { target: { value: "a brand new phrase" } });
    fireEvent.submit(screen.getByRole("button", { name: "Set password" }).closest("form")!);
    await waitFor(() => expect(router.state.location.pathname).toBe("/sign-in"));
    expect(await screen.findByText(/Your password is changed/)).toBeTruthy();
    expect(calls.find((c) => c.url === "/api/auth/reset-password")?.body).toEqual({ token: "tok42", newPassword: "a brand new phrase" });
  });

  it("shows the server's reason for a refused password, and says when the link is spent", async () => {
    stubFetch(() =>
      jsonResponse(400, { error: "bad-request", reason: "weak-password", message: "this password is one of the first that attackers try: choose another" }),
    );
    renderAt("/reset-password?token=tok42", [{ path: "/reset-password", element: <ResetPasswordPage /> }]);
    fireEvent.change(screen.getByLabelText(/^New password/), { target: { value: "password1" } });
    fireEvent.submit(screen.getByRole("button", { name: "Set password" }).closest("form")!);
    expect((await screen.findByRole("alert")).textContent).toContain("first that attackers try");

    renderAt("/reset-password?error=INVALID_TOKEN", [{ path: "/reset-password", element: <ResetPasswordPage /> }]);
    expect(screen.getByText(/This reset link is not valid any more/)).toBeTruthy();
  });
});

describe("ShareDialog", () => {
  it("creates a focused, redacted, expiring link, shows it in full, and revokes links", async () => {
    const now = new Date().toISOString();
    const share = {
      id: "s1",
      analysisId: "an1",
      createdAt: now,
      expiresAt: now,
      revokedAt: null,
      views: 3,
      redact: true,
      focusFindingId: "f1",
      focusMessageIndex: null,
      scope: "trace",
      scopeCallIds: [],
    };
    const calls = stubFetch((url, method) => {
      if (method === "POST") return jsonResponse(201, { ...share, token: "tok123", url: "/s/tok123" });
      if (method === "DELETE") return new Response(null, { status: 204 });
      return jsonResponse(200, { items: [share] });
    });
    const finding = exampleParts("caller-hangup.sngrep.txt").findings[0]!;
    renderAt("/", [{ path: "/", element: <ShareDialog analysisId="an1" callCount={1} focusFinding={finding} onClose={() => {}} /> }]);
    fireEvent.change(screen.getByLabelText("Link expires after"), { target: { value: "30" } });
    fireEvent.click(screen.getByRole("button", { name: "Create link" }));
    const url = await screen.findByTestId<HTMLInputElement>("share-url");
    expect(url.value).toBe(`${window.location.origin}/s/tok123`);
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ focusFindingId: "f1", expiresInDays: 30, redact: true, shiftTimes: true });
    expect((await screen.findByTestId("share-views")).textContent).toBe("3");
    fireEvent.click(screen.getByRole("button", { name: "Revoke" }));
    await waitFor(() => expect(calls.some((c) => c.method === "DELETE" && c.url === "/api/shares/s1")).toBe(true));
  });

  it("keeps the capture's times when shifting is unchecked", async () => {
    const calls = stubFetch((_url, method) =>
      method === "POST"
        ? jsonResponse(201, {
            id: "s2",
            analysisId: "an1",
            createdAt: new Date().toISOString(),
            expiresAt: null,
            revokedAt: null,
            views: 0,
            redact: true,
            focusFindingId: null,
            focusMessageIndex: null,
            scope: "trace",
            scopeCallIds: [],
            token: "tok456",
            url: "/s/tok456",
          })
        : jsonResponse(200, { items: [] }),
    );
    renderAt("/", [{ path: "/", element: <ShareDialog analysisId="an1" callCount={1} focusFinding={null} onClose={() => {}} /> }]);
    fireEvent.click(screen.getByLabelText(/^Shift times/));
    fireEvent.click(screen.getByRole("button", { name: "Create link" }));
    await screen.findByTestId("share-url");
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ expiresInDays: 7, redact: true, shiftTimes: false });
  });
});
