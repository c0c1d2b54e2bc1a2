// The one place the renderer imports its state library; screens define their stores through this.
export { create as defineStore } from 'zustand';
