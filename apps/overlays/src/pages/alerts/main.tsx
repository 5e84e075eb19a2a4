import { mountPage } from "../../page/mount";
import { Alerts } from "./Alerts";

mountPage("alerts", Alerts);
