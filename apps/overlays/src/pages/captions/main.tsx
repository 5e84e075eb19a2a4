import { mountPage } from "../../page/mount";
import { Captions } from "./Captions";

mountPage("captions", Captions);
