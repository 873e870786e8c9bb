import { createBrowserRouter } from "react-router";
import { Layout } from "./Layout";
import { StartPage } from "../pages/StartPage";
import { AnalysisPage } from "../pages/AnalysisPage";
import { SharedPage } from "../pages/SharedPage";
import { MyAnalysesPage } from "../pages/MyAnalysesPage";
import { ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage } from "../pages/AuthPages";
import { NotFoundPage } from "../pages/NotFoundPage";
import { Loading } from "../ui/States";

/** Shown while the guide's chunk loads when the first page of a visit is a guide page. */
const guideLoading = <Loading label="Loading the guide…" />;

export const routes = [
  {
    element: <Layout />,
    children: [
      { path: "/", element: <StartPage /> },
      { path: "/a/:id", element: <AnalysisPage /> },
      { path: "/s/:token", element: <SharedPage /> },
      { path: "/analyses", element: <MyAnalysesPage /> },
      { path: "/sign-in", element: <SignInPage /> },
      { path: "/sign-up", element: <SignUpPage /> },
      { path: "/forgot-password", element: <ForgotPasswordPage /> },
      { path: "/reset-password", element: <ResetPasswordPage /> },
      // The guide runs the analyzer in the browser on its example traces: loaded only when visited.
      { path: "/guide", lazy: async () => ({ Component: (await import("../guide/GuidePages")).GuideIndexPage }), hydrateFallbackElement: guideLoading },
      { path: "/guide/:code", lazy: async () => ({ Component: (await import("../guide/GuidePages")).GuideCodePage }), hydrateFallbackElement: guideLoading },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export const router = createBrowserRouter(routes);
