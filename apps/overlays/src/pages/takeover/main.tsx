import { mountPage } from "../../page/mount";
import { Takeover } from "./Takeover";

mountPage("takeover", Takeover);
