import { mountPage } from "../../page/mount";
import { Omnibar } from "./Omnibar";

mountPage("omnibar", Omnibar);
