import { createBrowserRouter } from "react-router";
import { Layout } from "./Layout";
import { StartPage } from "../pages/StartPage";
import { AnalysisPage } from "../pages/AnalysisPage";
import { SharedPage } from "../pages/SharedPage";
import { MyAnalysesPage } from "../pages/MyAnalysesPage";
import { SignInPage, SignUpPage } from "../pages/AuthPages";
import { NotFoundPage } from "../pages/NotFoundPage";

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
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export const router = createBrowserRouter(routes);
